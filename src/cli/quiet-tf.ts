import * as tf from '@tensorflow/tfjs';

/**
 * The CLIs print the answer only. TensorFlow.js's "Hi, looks like you are running TensorFlow.js
 * in Node.js…" notice (written on the CPU backend's first use) goes through its own warn, which
 * production mode silences; production mode changes nothing else the lab relies on.
 */
tf.enableProdMode();
