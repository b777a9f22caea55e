package dev.herald.channels.email;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Open SMTP conversations to the relay, kept between messages: an SMTP session carries any number
 * of transactions (RFC 5321 §3.3), so a message sent on a kept connection skips the TCP (and TLS)
 * handshake, the greeting, EHLO, STARTTLS and AUTH, and the QUIT. At most {@code maxIdle} are kept;
 * a send when none is idle opens one (so as many are open as sends run at once, which the
 * dispatcher's shares bound), and one given back past {@code maxIdle} is closed. A connection idle
 * longer than {@code maxIdleTime} is closed rather than reused, before the relay's own idle timeout
 * (Postfix: 300 s) would make it fail; one that failed in any way is closed, never given back.
 * Thread-safe; a {@link Transport} is used by one send at a time.
 */
final class SmtpConnections implements AutoCloseable {
    /** One kept connection and when it was given back. */
    private record Idle(Transport transport, Instant since) {}

    /** Opens and authenticates a new conversation. */
    interface Opener {
        Transport open() throws MessagingException;
    }

    private final Opener opener;
    private final int maxIdle;
    private final Duration maxIdleTime;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Idle> idle = new ArrayDeque<>();
    private boolean closed;

    SmtpConnections(Opener opener, int maxIdle, Duration maxIdleTime, Clock clock) {
        if (maxIdle < 0) throw new IllegalArgumentException("maxIdle must be 0 or more");
        this.opener = opener;
        this.maxIdle = maxIdle;
        this.maxIdleTime = maxIdleTime;
        this.clock = clock;
    }

    /** A connection for one message: with {@link Lease#reused} true when it carried one before. */
    record Lease(Transport transport, boolean reused) {}

    /** The most recently given-back live connection, else a new one. */
    Lease take() throws MessagingException {
        Instant now = clock.instant();
        while (true) {
            Idle candidate;
            lock.lock();
            try {
                // Most recent first: the least likely to have been dropped by the relay.
                candidate = idle.pollFirst();
            } finally {
                lock.unlock();
            }
            if (candidate == null) return new Lease(opener.open(), false);
            if (Duration.between(candidate.since(), now).compareTo(maxIdleTime) <= 0) return new Lease(candidate.transport(), true);
            quietClose(candidate.transport());
        }
    }

    /** A fresh connection, bypassing the kept ones (a retry after a kept one failed). */
    Transport open() throws MessagingException {
        return opener.open();
    }

    /** Gives back a connection whose last message went through; closed when the pool is full or shut. */
    void giveBack(Transport transport) {
        lock.lock();
        try {
            if (!closed && idle.size() < maxIdle) {
                idle.addFirst(new Idle(transport, clock.instant()));
                return;
            }
        } finally {
            lock.unlock();
        }
        quietClose(transport);
    }

    /** Connections kept now, for tests. */
    int idle() {
        lock.lock();
        try {
            return idle.size();
        } finally {
            lock.unlock();
        }
    }

    static void quietClose(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
            // QUIT failed: the connection is gone either way
        }
    }

    /** Closes (QUIT) every kept connection; connections given back afterwards are closed at once. */
    @Override
    public void close() {
        Deque<Idle> all;
        lock.lock();
        try {
            closed = true;
            all = new ArrayDeque<>(idle);
            idle.clear();
        } finally {
            lock.unlock();
        }
        for (Idle i : all) quietClose(i.transport());
    }

    /** How a new conversation is opened with these settings. */
    static Opener opener(Session session, String protocol, SmtpUrl smtp) {
        return () -> {
            Transport t = session.getTransport(protocol);
            try {
                t.connect(smtp.host(), smtp.port(), smtp.user(), smtp.password());
                return t;
            } catch (MessagingException | RuntimeException e) {
                quietClose(t);
                throw e;
            }
        };
    }
}
