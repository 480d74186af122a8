package org.drops.atm.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.InetFamily;
import org.drops.atm.api.InetOption;
import org.drops.atm.api.InetSocket;
import org.drops.atm.api.InetType;
import org.drops.atm.api.srt.Accepted;
import org.drops.atm.api.srt.SrtServer;

/** A time-sharing socket whose every call is redirected to the SRT server, which runs it on the host kernel. */
final class InetSocketImpl implements InetSocket {

    private final SocketOwner owner;
    private final SrtServer srt;
    private final InetFamily family;
    private final InetType type;
    private final int fd;
    private volatile boolean closed;

    InetSocketImpl(SocketOwner owner, SrtServer srt, InetFamily family, InetType type, int fd) {
        this.owner = owner;
        this.srt = srt;
        this.family = family;
        this.type = type;
        this.fd = fd;
    }

    private void check(String call) throws AtmException {
        if (closed) {
            throw new AtmException(call + ": the socket is closed");
        }
    }

    @Override
    public InetFamily family() {
        return family;
    }

    @Override
    public InetType type() {
        return type;
    }

    @Override
    public void bind(InetSocketAddress local) throws IOException {
        check("bind");
        srt.bind(fd, local);
    }

    @Override
    public void connect(InetSocketAddress remote) throws IOException {
        check("connect");
        srt.connect(fd, remote);
    }

    @Override
    public void listen(int backlog) throws IOException {
        check("listen");
        srt.listen(fd, backlog);
    }

    @Override
    public InetSocket accept() throws IOException {
        check("accept");
        Accepted a = srt.accept(fd);
        InetSocketImpl accepted = new InetSocketImpl(owner, srt, family, type, a.fd());
        owner.adopt(accepted);
        return accepted;
    }

    @Override
    public int send(ByteBuffer src) throws IOException {
        check("send");
        return srt.send(fd, src, null);
    }

    @Override
    public int sendTo(ByteBuffer src, InetSocketAddress target) throws IOException {
        check("sendTo");
        return srt.send(fd, src, target);
    }

    @Override
    public int receive(ByteBuffer dst) throws IOException {
        check("receive");
        return srt.receive(fd, dst);
    }

    @Override
    public InetSocketAddress receiveFrom(ByteBuffer dst) throws IOException {
        check("receiveFrom");
        return srt.receiveFrom(fd, dst);
    }

    @Override
    public void setOption(InetOption option, long value) throws IOException {
        check("setOption");
        srt.setOption(fd, option, value);
    }

    @Override
    public long getOption(InetOption option) throws IOException {
        check("getOption");
        return srt.getOption(fd, option);
    }

    @Override
    public InetSocketAddress localAddress() throws IOException {
        check("localAddress");
        return srt.localAddress(fd);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            srt.close(fd);
            owner.forget(this);
        }
    }
}
