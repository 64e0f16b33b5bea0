// The administrator the e2e server is started with.
export const e2eAdmin = { email: "admin@e2e.test", password: "e2e admin password" };
