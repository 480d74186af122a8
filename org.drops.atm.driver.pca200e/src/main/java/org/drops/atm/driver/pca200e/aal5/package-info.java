/**
 * AAL5 (ITU-T I.363.5) as the PCA-200E model does it: the CPCS-PDU trailer, the CRC-32, and the
 * allocation-free segmentation and reassembly cursors. Private to the driver bundle.
 */
package org.drops.atm.driver.pca200e.aal5;
