/** tfjs-vis loads on first use: it brings vega and TensorFlow.js, which the first page view does not need. */
type TfVis = typeof import('@tensorflow/tfjs-vis');
let loading: Promise<TfVis> | undefined;

export function loadVis(): Promise<TfVis> {
  loading ??= import('@tensorflow/tfjs-vis');
  return loading;
}
