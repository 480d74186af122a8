/**
 * SPI between the protocol server (the core bundle) and the socket facade: connections with their transmit
 * and receive rings (paper §2.2, §3.3: the "permanently mapped ring lists"). Ring slots are direct memory
 * that both sides see; only a slot index and a length cross between them, so the facade's {@code write}
 * makes the one copy of the transmit path and the zero-copy interface none, and the view receive hands the
 * slot itself.
 *
 * <p>Interfaces here are {@code @ProviderType}: implemented by the core bundle of this platform.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.drops.atm.api.server;
