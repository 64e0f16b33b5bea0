// The floor of what any Node gateway costs: a few lines that forward a request to one upstream
// with undici and pipe the answer back. No auth, no parsing, no metering.
import http from "node:http";
import { Agent, request } from "undici";

const upstream = process.env.UPSTREAM!;
const agent = new Agent({ connections: 512, keepAliveTimeout: 30_000 });

http
  .createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const r = await request(upstream + req.url, { method: "POST", body: Buffer.concat(chunks), headers: { "content-type": "application/json" }, dispatcher: agent });
    res.writeHead(r.statusCode, { "content-type": String(r.headers["content-type"]) });
    r.body.pipe(res);
  })
  .listen(Number(process.env.PORT), "127.0.0.1", () => process.send?.("ready"));
