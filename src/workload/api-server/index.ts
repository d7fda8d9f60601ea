;
;
;
;
export {
  
  
  SAMPLES_PATH,
  
  
} from './api-server-app.js';
;
export { DEFAULT_API_PORT, startApiServer } from './api-server.js';
export type { ApiServerHandle,  } from './api-server.js';
;
;
;
;
;
;
;
