/**
 * The ATM cell as the PCA-200E model handles it: the cell layout, the header word, the HEC (CRC-8 of ITU-T
 * I.432.1) and the receiver's HEC correction/detection state machine. Pure, allocation-free codecs; private
 * to the driver bundle.
 */
package org.drops.atm.driver.pca200e.cell;
