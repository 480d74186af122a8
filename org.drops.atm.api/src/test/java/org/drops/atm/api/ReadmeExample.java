package org.drops.atm.api;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficParameters;

/**
 * The "program against it" example of the README, kept here so that it compiles against the API: if the
 * API changes, this file breaks the build until the README is updated with it. (It is not run: the socket
 * service is implemented by the socket facade bundle.)
 */
final class ReadmeExample {

    // README: begin
    /** Sends 8·10⁶ bytes/s of 8192-byte SDUs on PVC 0.0.100 with a CBR guarantee. */
    static void sendVideo(AtmSocketFactory sockets, ByteBuffer frame) throws IOException {
        int pcr = CellRates.aal5CellsPerSecond(8_000_000, 8192); // 166993 cells/s, AAL5 overhead included
        try (AtmSocket socket = sockets.createSocket()) {
            socket.setQos("cbr:pcr=" + pcr + ",sdu=8192");    // Linux-ATM text2qos syntax
            try {
                socket.connect(PvcAddress.parse("0.0.100")); // admission control reserves bandwidth, buffers, CPU
            } catch (AdmissionException refused) {
                Qos fits = refused.recommended().orElseThrow(() -> refused);
                System.out.println("refused (" + refused.resource() + "), would fit: " + fits);
                return;
            }
            while (!Thread.currentThread().isInterrupted()) {
                frame.rewind();
                socket.write(frame);                         // blocks when ahead of the contract
            }
        }
    }

    /** Receives on the peer interface, without a copy into the application's memory. */
    static long receive(AtmSocketFactory sockets) throws IOException {
        try (AtmSocket socket = sockets.createSocket()) {
            socket.setQos(Qos.receive(TrafficParameters.cbr(166993, 8192)));
            socket.bind(PvcAddress.parse("1.0.100"));
            long bytes = 0;
            for (int i = 0; i < 1000; i++) {
                try (RxView sdu = socket.receive()) {         // a view of the ring slot, released on close
                    bytes += sdu.length();
                }
            }
            return bytes;
        }
    }
    // README: end

    private ReadmeExample() {
    }
}
