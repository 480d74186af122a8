package org.drops.atm.linuxbridge.srt;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.logging.Logger;
import org.drops.atm.api.InetFamily;
import org.drops.atm.api.InetOption;
import org.drops.atm.api.InetType;
import org.drops.atm.api.NativeCallException;
import org.drops.atm.api.srt.Accepted;
import org.drops.atm.api.srt.SrtServer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The {@link SrtServer} service. When it goes (the bundle stops), every descriptor it opened is shut down and
 * closed, so no native socket outlives the bridge and callers blocked on one wake with an error.
 */
@Component(service = SrtServer.class, immediate = true)
public final class SrtServerComponent implements SrtServer {

    private static final Logger LOG = Logger.getLogger(SrtServerComponent.class.getName());

    private NativeSockets sockets;

    @Activate
    void activate() {
        sockets = new NativeSockets();
    }

    @Deactivate
    void deactivate() {
        int open = sockets.openCount();
        sockets.closeAll();
        if (open > 0) {
            LOG.info("the SRT server stopped and closed " + open + " native socket(s) still open");
        }
    }

    @Override
    public int socket(InetFamily family, InetType type) throws NativeCallException {
        return sockets.socket(family, type);
    }

    @Override
    public void bind(int fd, InetSocketAddress local) throws NativeCallException {
        sockets.bind(fd, local);
    }

    @Override
    public void connect(int fd, InetSocketAddress remote) throws NativeCallException {
        sockets.connect(fd, remote);
    }

    @Override
    public void listen(int fd, int backlog) throws NativeCallException {
        sockets.listen(fd, backlog);
    }

    @Override
    public Accepted accept(int fd) throws NativeCallException {
        return sockets.accept(fd);
    }

    @Override
    public int send(int fd, ByteBuffer src, InetSocketAddress target) throws NativeCallException {
        return sockets.send(fd, src, target);
    }

    @Override
    public int receive(int fd, ByteBuffer dst) throws NativeCallException {
        return sockets.receive(fd, dst);
    }

    @Override
    public InetSocketAddress receiveFrom(int fd, ByteBuffer dst) throws NativeCallException {
        return sockets.receiveFrom(fd, dst);
    }

    @Override
    public void setOption(int fd, InetOption option, long value) throws NativeCallException {
        sockets.setOption(fd, option, value);
    }

    @Override
    public long getOption(int fd, InetOption option) throws NativeCallException {
        return sockets.getOption(fd, option);
    }

    @Override
    public InetSocketAddress localAddress(int fd) throws NativeCallException {
        return sockets.localAddress(fd);
    }

    @Override
    public void close(int fd) {
        sockets.close(fd);
    }
}
