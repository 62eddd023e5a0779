import pg from "pg";
const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
await c.connect();
for (let k = 0; k < 5; k++) { const s = performance.now(); await c.query("SELECT 1"); console.log("pg select1", (performance.now() - s).toFixed(2)); }
for (let k = 0; k < 3; k++) { const s = performance.now(); await c.query("SELECT $1::int", [k]); console.log("pg param", (performance.now() - s).toFixed(2)); }
await c.end();
