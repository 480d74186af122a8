/**
 * SPI: the SRT server (paper §2, Figure 2). Calls the real-time path does not serve — ordinary INET/INET6
 * TCP and UDP sockets — are redirected by the socket facade to the {@link SrtServer} service, which the Linux
 * bridge provides by making the calls on the host kernel through JNA. Sockets are named by the kernel's file
 * descriptor, as the redirected calls are.
 *
 * <p>Interfaces here are {@code @ProviderType}: implemented by the Linux bridge bundle of this platform.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.drops.atm.api.srt;
