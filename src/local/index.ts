export { startLocalPlatform, type LocalPlatform, type LocalPlatformOptions } from './platform';
export { PRESETS, isPresetName, type PresetName, type ProvisioningPreset } from './presets';
export { vcpuShare } from './instance-pool';
export { parseFaults, parseSeed, FAULT_KINDS, type FaultRates, type FaultCounts } from './faults';
