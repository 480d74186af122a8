/**
 * SPI: connection admission control (paper §2.4, §3.1). The admission-control bundle provides
 * {@link AdmissionControl}; the core asks it before opening a guaranteed connection and gives the reservation
 * back when the connection closes. Three resources are managed independently and linearly: network
 * bandwidth per interface, buffer space, and CPU time from a model calibrated on the running machine.
 *
 * <p>Interfaces here are {@code @ProviderType}: implemented by the admission-control bundle of this platform.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.drops.atm.api.admission;
