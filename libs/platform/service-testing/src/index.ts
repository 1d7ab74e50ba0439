// The test harness of the service kit, apart from @oo/testing so that the platform libraries'
// own tests (which use @oo/testing) do not depend on the kit they sit under.
export { startServiceHarness, type InstanceOptions, type ServiceHarness, type ServiceHarnessOptions } from './service-harness';
export { exportedPart, type ExportPartMessage } from './export-parts';
