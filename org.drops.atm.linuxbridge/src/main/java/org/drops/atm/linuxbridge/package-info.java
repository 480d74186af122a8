/**
 * The Linux bridge's own API: {@link org.drops.atm.linuxbridge.IpOverAtmInterface}, one service per configured
 * TUN interface carrying IP over ATM (paper §2.7, "L4Linux Interface": to Linux the ATM stack is a network
 * device), with its state and counters. The bridge's other services are SPIs of the API bundle:
 * {@code RealTimeScheduler} and {@code SrtServer}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.drops.atm.linuxbridge;
