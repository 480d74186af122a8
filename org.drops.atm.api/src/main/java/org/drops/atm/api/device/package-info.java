/**
 * SPI: the network interface card. The PCA-200E driver bundle registers one {@link AtmDevice} service per
 * configured interface; the core opens virtual channels on it, sends PDUs synchronously and takes received
 * PDUs from it (paper §2.6). AAL5 segmentation and reassembly, CRC-32, HEC and line-rate cell pacing are the
 * "hardware's" business, below this interface.
 *
 * <p>Interfaces here are {@code @ProviderType}: implemented by the driver bundle of this platform.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.3.0")
package org.drops.atm.api.device;
