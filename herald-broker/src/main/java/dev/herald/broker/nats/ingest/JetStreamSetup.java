package dev.herald.broker.nats.ingest;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Makes sure the stream and the durable consumer exist before consuming; blocking, at start. */
final class JetStreamSetup {
    private static final Logger log = LoggerFactory.getLogger(JetStreamSetup.class);
    private static final int STREAM_NOT_FOUND = 10059;
    private static final int CONSUMER_NOT_FOUND = 10014;

    private JetStreamSetup() {}

    static void ensure(Connection nats, JetStreamIngestConfig config) {
        try {
            JetStreamManagement jsm = nats.jetStreamManagement();
            ensureStream(jsm, config);
            ensureConsumer(jsm, config);
        } catch (IOException e) {
            throw new HeraldException(ErrorCode.UNAVAILABLE, "JetStream is unreachable: " + e.getMessage(), e);
        } catch (JetStreamApiException e) {
            throw new HeraldException(ErrorCode.UNAVAILABLE, "JetStream refused the setup of stream " + config.stream()
                    + " / consumer " + config.durable() + ": " + e.getMessage(), e);
        }
    }

    private static void ensureStream(JetStreamManagement jsm, JetStreamIngestConfig config) throws IOException, JetStreamApiException {
        try {
            jsm.getStreamInfo(config.stream());
            return;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != STREAM_NOT_FOUND) throw e;
        }
        if (!config.createStream()) {
            throw new HeraldException(ErrorCode.UNAVAILABLE, "JetStream stream " + config.stream() + " does not exist: create it over "
                    + config.subjects() + " or set NATS_CREATE_STREAM=true");
        }
        jsm.addStream(StreamConfiguration.builder().name(config.stream()).subjects(config.subjects())
                .retentionPolicy(switch (config.retention()) {
                    case "workqueue" -> RetentionPolicy.WorkQueue;
                    case "interest" -> RetentionPolicy.Interest;
                    default -> RetentionPolicy.Limits;
                })
                .storageType(StorageType.File).replicas(config.replicas()).build());
        log.info("created JetStream stream {} over {}", config.stream(), config.subjects());
    }

    private static void ensureConsumer(JetStreamManagement jsm, JetStreamIngestConfig config) throws IOException, JetStreamApiException {
        try {
            jsm.getConsumerInfo(config.stream(), config.durable());
            return;
        } catch (JetStreamApiException e) {
            if (e.getApiErrorCode() != CONSUMER_NOT_FOUND) throw e;
        }
        jsm.addOrUpdateConsumer(config.stream(), ConsumerConfiguration.builder().durable(config.durable())
                .ackPolicy(AckPolicy.Explicit).deliverPolicy(DeliverPolicy.All).maxDeliver(config.maxDeliver())
                .ackWait(config.ackWait()).build());
        log.info("created JetStream consumer {} on {}", config.durable(), config.stream());
    }
}
