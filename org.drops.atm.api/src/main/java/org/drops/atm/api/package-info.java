/**
 * The application API of DROPS ATM: the socket service other bundles import ({@link AtmSocketFactory}),
 * the sockets it gives ({@link AtmSocket} for guaranteed and best-effort ATM connections, {@link InetSocket}
 * for ordinary time-sharing traffic redirected to the host's Linux kernel), PVC addresses, statistics, the
 * exceptions a caller handles, and the Event Admin topics the platform posts.
 *
 * <p>Usage follows Linux-ATM (paper §2.7): create a socket, {@link AtmSocket#setQos(String) setQos} before
 * {@link AtmSocket#connect connect} (transmit) or {@link AtmSocket#bind bind} (receive), then one AAL5 SDU per
 * {@link AtmSocket#write write}/{@link AtmSocket#read read} call.
 *
 * <p>Interfaces here are {@code @ProviderType}: the platform implements them and may add methods in a minor
 * version; applications only call them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.drops.atm.api;
