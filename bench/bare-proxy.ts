// The floor of what any Node gateway costs: a few lines that forward a request to one upstream
// with node:http's keep-alive client (the one Bora's gateway uses) and pipe the answer back.
// No auth, no parsing, no metering.
import http from "node:http";

const upstream = new URL(process.env.UPSTREAM!);
const agent = new http.Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 512, timeout: 30_000 });

http
  .createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const up = http.request({ agent, hostname: upstream.hostname, port: upstream.port, path: req.url, method: "POST", headers: { "content-type": "application/json" } }, (r) => {
        res.writeHead(r.statusCode!, { "content-type": String(r.headers["content-type"]) });
        r.pipe(res);
      });
      up.end(Buffer.concat(chunks));
    });
  })
  .listen(Number(process.env.PORT), "127.0.0.1", () => process.send?.("ready"));
