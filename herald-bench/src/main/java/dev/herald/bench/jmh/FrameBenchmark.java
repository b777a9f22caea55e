package dev.herald.bench.jmh;

import dev.herald.bench.client.Frames;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameEncoder;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The per-frame costs that bound a fan-out: what the generator pays to classify one delivery, and
 * what a server pays per member when it re-encodes a frame versus writing one pre-encoded frame.
 * Run: {@code java -cp herald-bench/target/herald-bench.jar org.openjdk.jmh.Main FrameBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class FrameBenchmark {
    private final ByteBuf marker = Unpooled.copiedBuffer("\"bench\"", StandardCharsets.UTF_8);
    private ByteBuf delivery;
    private ByteBuf preEncoded;
    private EmbeddedChannel encoder;
    private final String text = "42[\"bench\",{\"seq\":123456,\"ts\":987654321012345}]";

    @Setup(Level.Trial)
    public void setUp() {
        delivery = Unpooled.copiedBuffer(text, StandardCharsets.UTF_8);
        byte[] p = text.getBytes(StandardCharsets.UTF_8);
        preEncoded = Unpooled.directBuffer().writeByte(0x81).writeByte(p.length).writeBytes(p);
        encoder = new EmbeddedChannel(new WebSocket13FrameEncoder(false));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        encoder.finishAndReleaseAll();
        delivery.release();
        preEncoded.release();
    }

    @Benchmark
    public long classifyAndStampOneDelivery() {
        return Frames.hasMarker(delivery, marker, 64) ? Frames.stamp(delivery) : -1;
    }

    @Benchmark
    public int encodeFramePerMember() {
        encoder.writeOutbound(new TextWebSocketFrame(text));
        ByteBuf out = encoder.readOutbound();
        int n = out.readableBytes();
        out.release();
        return n;
    }

    @Benchmark
    public int writePreEncodedFramePerMember() {
        ByteBuf dup = preEncoded.retainedDuplicate();
        int n = dup.readableBytes();
        dup.release();
        return n;
    }
}
