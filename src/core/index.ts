/**
 * The core every layer may import: Kubernetes and Prometheus primitives, the capabilities the shells
 * take (clock, timers, seeded randomness) and the input error that names file, field path and
 * expectation. Pure: no Node types, no clock, no randomness (its tsconfig refuses them).
 */
export { type Clock, type ManualClock, createManualClock } from './clock.js';
export { type Timers, type TimerHandle, sleepOn } from './timers.js';
export {
  type Rng,
  createSeededRng,
  sampleNormal,
  sampleExponential,
  sampleLogNormal,
  samplePoisson,
  POISSON_NORMAL_THRESHOLD,
} from './rng.js';
export {
  InputError,
  type InputErrorCode,
  type InputErrorOptions,
  joinPath,
  describeValue,
  formatWarning,
} from './errors.js';
export {
  type Quantity,
  type QuantityFormat,
  QuantityParseError,
  parseQuantity,
  parseManifestQuantity,
  parseQuantityMilli,
  isQuantity,
  formatQuantity,
  formatMilliQuantity,
  newQuantity,
  newMilliQuantity,
  decimalQuantity,
  negateQuantity,
  canonicalParts,
  quantityScaledValue,
  quantityMilliValue,
} from './quantity.js';
export {
  DurationParseError,
  parsePrometheusDuration,
  prometheusDurationSeconds,
  PROMETHEUS_DURATION_PATTERN,
  parseGoDuration,
  formatPrometheusDuration,
  formatGoDuration,
} from './duration.js';
export {
  type LabelSelector,
  type SelectorRequirement,
  type SelectorOperator,
  type MetaLabelSelector,
  type MetaLabelSelectorRequirement,
  LabelSelectorError,
  parseLabelSelector,
  labelSelectorFromRequirements,
  labelSelectorFromMeta,
  formatLabelSelector,
  matchesLabelSelector,
  toMetaLabelSelector,
  formatMetaLabelSelectorGo,
} from './label-selector.js';
export { goQuote, isGoPrintable, formatGoFloat } from './go-format.js';
export { editDistance, closestName, unknownFieldMessage } from './did-you-mean.js';
