package dev.herald.gateway;

import io.netty.channel.EventLoop;

/**
 * A gateway session whose state and writes belong to one event loop: {@link NettyFanOut} runs its
 * sends there, so they cost no hop of their own. Threading: {@link #eventLoop} is safe from any
 * thread and answers the same loop for the session's whole life.
 */
public interface LoopBound {
    EventLoop eventLoop();
}
