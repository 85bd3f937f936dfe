export { startHttpServer, type HttpServerOptions, type RunningHttpServer } from './http-server';
export { adminPage, type AdminPageOptions } from './admin';
export { AuditLog } from './admin/audit';
export { ControlCaller } from './admin/control-call';
