// A small SPARQL 1.1 Protocol and Graph Store Protocol server over a Jena TDB2 database,
// for the tests: Debian packages Jena (libapache-jena-java) but not Fuseki.
//
//   java -cp JENA_CLASSPATH JenaServer.java DATABASE_DIR PORT
//
// POST /belkg/sparql (query=..., form-encoded): SELECT and ASK answer SPARQL JSON, CONSTRUCT and
// DESCRIBE answer N-Triples. PUT or POST /belkg/data?graph=IRI (N-Triples or N-Quads body)
// replaces or adds to a named graph. The default graph is the union of the named graphs,
// as Fuseki's tdb2:unionDefaultGraph gives. Bound to 127.0.0.1 only.

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import org.apache.jena.graph.Graph;
import org.apache.jena.graph.NodeFactory;
import org.apache.jena.query.Dataset;
import org.apache.jena.query.Query;
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.QueryExecutionFactory;
import org.apache.jena.query.QueryFactory;
import org.apache.jena.query.ReadWrite;
import org.apache.jena.query.ResultSetFormatter;
import org.apache.jena.query.Syntax;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.riot.Lang;
import org.apache.jena.riot.RDFDataMgr;
import org.apache.jena.riot.RDFParser;
import org.apache.jena.sparql.core.DatasetGraph;
import org.apache.jena.sparql.graph.GraphFactory;
import org.apache.jena.tdb2.TDB2;
import org.apache.jena.tdb2.TDB2Factory;

public class JenaServer {
    static Dataset dataset;

    public static void main(String[] args) throws IOException {
        dataset = TDB2Factory.connectDataset(args[0]);
        dataset.getContext().set(TDB2.symUnionDefaultGraph, true);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 16);
        server.createContext("/belkg/sparql", JenaServer::query);
        server.createContext("/belkg/data", JenaServer::store);
        server.start();
        System.out.println("ready");
    }

    static Map<String, String> form(String text) {
        Map<String, String> fields = new HashMap<>();
        if (text == null) return fields;
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq < 0) continue;
            fields.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                       URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return fields;
    }

    static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static void query(HttpExchange exchange) throws IOException {
        try {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> fields = form(body);
            fields.putAll(form(exchange.getRequestURI().getRawQuery()));
            String text = fields.get("query");
            if (text == null) {
                send(exchange, 400, "text/plain", "no query".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Query query = QueryFactory.create(text, Syntax.syntaxSPARQL_11);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            String type;
            dataset.begin(ReadWrite.READ);
            try (QueryExecution execution = QueryExecutionFactory.create(query, dataset)) {
                if (query.isSelectType()) {
                    ResultSetFormatter.outputAsJSON(out, execution.execSelect());
                    type = "application/sparql-results+json";
                } else if (query.isAskType()) {
                    ResultSetFormatter.outputAsJSON(out, execution.execAsk());
                    type = "application/sparql-results+json";
                } else {
                    Model model = query.isConstructType() ? execution.execConstruct() : execution.execDescribe();
                    RDFDataMgr.write(out, model, Lang.NTRIPLES);
                    type = "application/n-triples";
                }
            } finally {
                dataset.end();
            }
            send(exchange, 200, type, out.toByteArray());
        } catch (RuntimeException error) {
            send(exchange, 400, "text/plain", String.valueOf(error.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
    }

    static void store(HttpExchange exchange) throws IOException {
        try {
            String method = exchange.getRequestMethod();
            String graph = form(exchange.getRequestURI().getRawQuery()).get("graph");
            if (graph == null || !(method.equals("PUT") || method.equals("POST"))) {
                send(exchange, 400, "text/plain", "PUT or POST with ?graph=IRI".getBytes(StandardCharsets.UTF_8));
                return;
            }
            Graph triples = GraphFactory.createDefaultGraph();
            RDFParser.source(exchange.getRequestBody()).lang(Lang.NTRIPLES).parse(triples);
            dataset.begin(ReadWrite.WRITE);
            try {
                DatasetGraph data = dataset.asDatasetGraph();
                var name = NodeFactory.createURI(graph);
                if (method.equals("PUT")) data.removeGraph(name);
                triples.find().forEachRemaining(t -> data.add(name, t.getSubject(), t.getPredicate(), t.getObject()));
                dataset.commit();
            } finally {
                dataset.end();
            }
            send(exchange, method.equals("PUT") ? 200 : 204, "text/plain", new byte[0]);
        } catch (RuntimeException error) {
            send(exchange, 400, "text/plain", String.valueOf(error.getMessage()).getBytes(StandardCharsets.UTF_8));
        }
    }
}
