package dev.herald.server.ingest;

import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.ingest.IngestDeadLetters;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.notification.Channel;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.route.Hub;
import dev.herald.core.store.Storage;
import dev.herald.store.InboxStores;
import dev.herald.store.StoreConfig;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The intake as Herald builds it (the pipeline over the embedded store in {@code dataDir}) without
 * the rest of the server, and a way to read its tables straight from the SQLite file.
 */
final class TestPipeline implements AutoCloseable {
    final Path dataDir;
    final Storage storage;
    final NotificationPipeline pipeline;
    final IngestDeadLetters deadLetters;

    TestPipeline(Path dataDir, Set<Channel> channels) {
        this.dataDir = dataDir;
        storage = InboxStores.openStorage(new StoreConfig(dataDir, null, "public", 4, 90));
        Hub hub = new Hub(new MemoryBroker());
        hub.start();
        pipeline = new NotificationPipeline(storage, new LiveNotifier(hub), Clock.systemUTC(),
                PipelineConfig.defaults().withChannels(channels));
        pipeline.start();
        deadLetters = InboxStores.ingestDeadLetters(storage);
    }

    /** The first column of every row {@code sql} selects; {@code parameters} fill its {@code ?}s. */
    List<String> rows(String sql, String... parameters) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("herald.db"));
             PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) ps.setString(i + 1, parameters[i]);
            List<String> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
            return out;
        }
    }

    @Override
    public void close() {
        pipeline.close();
        storage.close();
    }
}
