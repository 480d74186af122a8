package org.drops.atm.api.srt;

import java.net.InetSocketAddress;

/**
 * A connection accepted on a listening socket.
 *
 * @param fd   the new socket's file descriptor
 * @param peer the remote address
 */
public record Accepted(int fd, InetSocketAddress peer) {
}
