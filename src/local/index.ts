export { startLocalPlatform, type LocalPlatform, type LocalPlatformOptions } from './platform';
export { PRESETS, isPresetName, type PresetName, type ProvisioningPreset } from './presets';
export { vcpuShare } from './instance-pool';
