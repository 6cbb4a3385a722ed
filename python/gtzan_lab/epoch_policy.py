"""What happens between epochs, as the lab decides it (src/model/optimizers/epoch-policy.ts).

The best epoch (the lowest validation loss), early stopping after `patience` epochs without a
better one (0: never), and the learning rate of every schedule the lab has: constant, cosine
(from the set rate to 0 over the epochs) and plateau (halved after PLATEAU_EPOCHS epochs without
a lower validation loss). An unknown schedule is refused with the ones there are.
"""

import math

SCHEDULES = ("constant", "cosine", "plateau")
PLATEAU_EPOCHS = 3


class EpochPolicy:
    def __init__(self, base_rate, schedule, epochs, patience):
        if schedule not in SCHEDULES:
            raise ValueError(f"the learning-rate schedule must be one of {', '.join(SCHEDULES)}, not {schedule!r}")
        self.base_rate = base_rate
        self.schedule = schedule
        self.epochs = epochs
        self.patience = patience
        self.best_epoch = 0
        self._best_loss = math.inf
        self._since_best = 0
        self._since_cut = 0
        self._rate = base_rate

    def rate_for(self, epoch):
        """The learning rate of epoch `epoch` (1-based)."""
        if self.schedule == "cosine":
            return self.base_rate * 0.5 * (1 + math.cos((math.pi * (epoch - 1)) / max(1, self.epochs)))
        return self._rate

    def observe(self, epoch, val_loss):
        """Epoch `epoch` ended with this validation loss (None: nothing to judge): (best, stop)."""
        if val_loss is None or not math.isfinite(val_loss):
            return False, False
        best = val_loss < self._best_loss
        if best:
            self._best_loss = val_loss
            self.best_epoch = epoch
            self._since_best = 0
            self._since_cut = 0
        else:
            self._since_best += 1
            self._since_cut += 1
            if self.schedule == "plateau" and self._since_cut >= PLATEAU_EPOCHS:
                self._rate /= 2
                self._since_cut = 0
        return best, self.patience > 0 and self._since_best >= self.patience
