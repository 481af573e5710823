// The neutraliser lives in shared/ (error messages use it too); views import it from here or from there.
export { neutralise, neutraliseLine, safeFields } from '../shared/neutralise.ts';
