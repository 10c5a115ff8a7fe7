/*
 * Kafka Connect's JsonConverter as a test oracle: a test hands it envelopes that Tributary's JSON
 * converter wrote, and gets back what JsonConverter writes for the same schema and value
 * (toConnectData, then fromConnectData), to compare byte for byte.
 *
 * Reads stdin line by line and answers each with exactly one stdout line. An input line is either an
 * envelope's JSON text ({"schema":…,"payload":…}, converted as a value with schemas.enable=true) or
 *   {"bytes":"<base64 of the serialized data>","isKey":false,"schemas.enable":true,"config":{…}}
 * where isKey, schemas.enable and config (more JsonConverter settings) may be left out. The answer is
 * JsonConverter's bytes verbatim, `null` when it writes none, or {"error":"<message>"}.
 */
package tributary.oracle;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;

final class ConverterOracle {
    private static final String TOPIC = "oracle";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ConverterOracle() {
    }

    static void run(InputStream in, PrintStream out) throws IOException {
        Map<String, JsonConverter> converters = new HashMap<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
            byte[] answer;
            try {
                answer = roundTrip(line, converters);
            } catch (Exception e) {
                ObjectNode error = MAPPER.createObjectNode().put("error", String.valueOf(e.getMessage()));
                answer = MAPPER.writeValueAsBytes(error);
            }
            out.write(answer == null ? "null".getBytes(StandardCharsets.UTF_8) : answer);
            out.write('\n');
            out.flush();
        }
    }

    private static byte[] roundTrip(String line, Map<String, JsonConverter> converters) throws IOException {
        JsonNode node = MAPPER.readTree(line);
        Map<String, String> settings = new TreeMap<>();
        settings.put("schemas.enable", "true");
        boolean isKey = false;
        byte[] data = line.getBytes(StandardCharsets.UTF_8);
        if (node != null && node.isObject() && node.has("bytes") && !node.has("payload")) {
            data = Base64.getDecoder().decode(node.get("bytes").asText());
            isKey = node.path("isKey").asBoolean(false);
            if (node.has("schemas.enable")) settings.put("schemas.enable", String.valueOf(node.get("schemas.enable").asBoolean()));
            node.path("config").fields().forEachRemaining((field) -> settings.put(field.getKey(), field.getValue().asText()));
        }
        boolean asKey = isKey;
        JsonConverter converter = converters.computeIfAbsent(asKey + " " + settings, (ignored) -> {
            JsonConverter made = new JsonConverter();
            made.configure(settings, asKey);
            return made;
        });
        SchemaAndValue connect = converter.toConnectData(TOPIC, data);
        return converter.fromConnectData(TOPIC, connect.schema(), connect.value());
    }
}
