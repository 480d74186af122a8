package org.drops.atm.api;

/**
 * An ATM interface of the platform, as applications and administrators see it.
 *
 * @param itf                the interface number, the first part of a PVC address
 * @param name               a readable name, such as {@code pca200e0}
 * @param link               how cells leave it: {@code memory} or {@code udp 127.0.0.1:2812 -> 127.0.0.1:2813}
 * @param lineCellsPerSecond the line cell rate (OC-3: 353207.547…); {@link Double#POSITIVE_INFINITY} if unpaced
 * @param up                 true while the interface carries traffic
 */
public record InterfaceInfo(int itf, String name, String link, double lineCellsPerSecond, boolean up) {

    public InterfaceInfo {
        if (itf < 0 || itf > PvcAddress.MAX_ITF) {
            throw new IllegalArgumentException("itf: " + itf + " is outside 0.." + PvcAddress.MAX_ITF);
        }
        if (!(lineCellsPerSecond > 0)) {
            throw new IllegalArgumentException("lineCellsPerSecond: must be positive, not " + lineCellsPerSecond);
        }
        name = name == null ? "itf" + itf : name;
        link = link == null ? "" : link;
    }
}
