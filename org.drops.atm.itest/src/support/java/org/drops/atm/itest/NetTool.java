package org.drops.atm.itest;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;

/**
 * A TCP sender and receiver run as their own JVM inside a network namespace ({@code ip netns exec ns java -cp
 * <test classes> org.drops.atm.itest.NetTool ...}), so the transfer crosses the kernel's TCP stack of two
 * namespaces and nothing of the test's JVM. Plain Java; no dependency beyond the JDK.
 *
 * <pre>
 * server ADDRESS PORT              prints "listening" once bound, then after the peer's end of stream:
 *                                  "received BYTES SHA256 NANOS" (NANOS from first byte to end of stream)
 * client ADDRESS PORT BYTES SEED   sends BYTES pseudo-random bytes of java.util.Random(SEED), half-closes,
 *                                  prints "sent BYTES SHA256 NANOS"
 * </pre>
 */
public final class NetTool {

    private NetTool() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("server")) {
            server(InetAddress.getByName(args[1]), Integer.parseInt(args[2]));
        } else if (args.length == 5 && args[0].equals("client")) {
            client(InetAddress.getByName(args[1]), Integer.parseInt(args[2]), Long.parseLong(args[3]), Long.parseLong(args[4]));
        } else {
            System.err.println("usage: NetTool server ADDRESS PORT | client ADDRESS PORT BYTES SEED");
            System.exit(2);
        }
    }

    public static void server(InetAddress address, int port) throws Exception {
        try (ServerSocket listener = new ServerSocket()) {
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(address, port), 1);
            System.out.println("listening");
            System.out.flush();
            try (Socket peer = listener.accept(); InputStream in = peer.getInputStream()) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                long first = 0;
                for (int n; (n = in.read(buffer)) > 0; total += n) {
                    if (first == 0) {
                        first = System.nanoTime();
                    }
                    sha.update(buffer, 0, n);
                }
                System.out.println("received " + total + " " + HexFormat.of().formatHex(sha.digest()) + " " + (System.nanoTime() - first));
            }
        }
    }

    public static void client(InetAddress address, int port, long bytes, long seed) throws Exception {
        Random random = new Random(seed);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[1 << 16];
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 10_000);
            long start = System.nanoTime();
            OutputStream out = socket.getOutputStream();
            for (long left = bytes; left > 0; ) {
                int n = (int) Math.min(buffer.length, left);
                random.nextBytes(buffer);
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
                left -= n;
            }
            out.flush();
            socket.shutdownOutput();
            // wait for the server's close, so "sent" means "received and closed by the peer"
            socket.getInputStream().read();
            System.out.println("sent " + bytes + " " + HexFormat.of().formatHex(sha.digest()) + " " + (System.nanoTime() - start));
        }
    }
}
