// The 40 routes of dtalk-app-api.md, from the facts committed beside the tests
// (test/fixtures/api/dtalk.json), so the coverage tests cannot forget one.

export { dtalkRoutes, type DtalkSpecRoute } from '../../support/spec-routes.ts';
