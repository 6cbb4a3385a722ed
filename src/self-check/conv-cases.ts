/** The CNNs the training benchmark times, at their default 16 filters: on the recipe's MFCCs and on 64-band log-mel. */
export const CONV_CASES = [
  { architecture: 'cnn', coefficients: 13 }, { architecture: 'conv1d', coefficients: 13 },
  { architecture: 'cnn', coefficients: 64 }, { architecture: 'conv1d', coefficients: 64 },
] as const;
