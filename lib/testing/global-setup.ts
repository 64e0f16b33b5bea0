// vitest globalSetup: the PGlite template every test file copies.
import { ensurePgliteTemplate, usingPostgres } from "./database";

export default async function setup() {
  if (!usingPostgres()) await ensurePgliteTemplate();
}
