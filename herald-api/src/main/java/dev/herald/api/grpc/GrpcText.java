package dev.herald.api.grpc;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.herald.core.Text;
import java.util.List;
import java.util.Map;

/**
 * Runs {@link Text}'s check on every string of a request message, naming the field as the proto
 * does ({@code user_id}, {@code user_ids[1]}). Protobuf refuses invalid UTF-8 on its own, so in
 * practice this is about U+0000, which is valid UTF-8 and legal in a proto string.
 */
final class GrpcText {
    private GrpcText() {
    }

    /** @throws dev.herald.core.HeraldException {@code INVALID_ARGUMENT} naming the field */
    static void requireClean(Message message) {
        requireClean("", message);
    }

    private static void requireClean(String prefix, Message message) {
        for (Map.Entry<FieldDescriptor, Object> field : message.getAllFields().entrySet()) {
            FieldDescriptor f = field.getKey();
            String name = prefix + f.getName();
            if (f.isRepeated()) {
                List<?> values = (List<?>) field.getValue();
                for (int i = 0; i < values.size(); i++) check(name + "[" + i + "]", f, values.get(i));
            } else {
                check(name, f, field.getValue());
            }
        }
    }

    private static void check(String name, FieldDescriptor f, Object value) {
        if (f.getJavaType() == FieldDescriptor.JavaType.STRING) Text.require(name, (String) value);
        else if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) requireClean(name + ".", (Message) value);
    }
}
