"""train.py's epoch policy: every schedule the lab has, the best epoch, early stopping."""
import math

import pytest

from gtzan_lab.epoch_policy import PLATEAU_EPOCHS, EpochPolicy


def test_cosine_goes_from_the_set_rate_towards_zero():
    p = EpochPolicy(1e-3, "cosine", 10, 0)
    rates = [p.rate_for(e) for e in range(1, 11)]
    assert rates[0] == pytest.approx(1e-3)
    assert all(a > b for a, b in zip(rates, rates[1:]))
    assert rates[-1] == pytest.approx(1e-3 * 0.5 * (1 + math.cos(math.pi * 9 / 10)))


def test_plateau_halves_the_rate_after_epochs_without_a_lower_loss():
    p = EpochPolicy(1e-3, "plateau", 20, 0)
    p.observe(1, 1.0)
    for e in range(2, 2 + PLATEAU_EPOCHS):
        assert p.rate_for(e) == pytest.approx(1e-3)
        p.observe(e, 1.5)
    assert p.rate_for(2 + PLATEAU_EPOCHS) == pytest.approx(5e-4)
    assert p.best_epoch == 1


def test_constant_stays_and_early_stopping_stops_after_patience():
    p = EpochPolicy(1e-3, "constant", 20, 2)
    assert p.observe(1, 1.0) == (True, False)
    assert p.observe(2, 1.1) == (False, False)
    assert p.observe(3, 1.2) == (False, True)
    assert p.rate_for(3) == 1e-3


def test_a_loss_that_is_not_a_number_is_not_judged():
    p = EpochPolicy(1e-3, "constant", 5, 1)
    assert p.observe(1, float("nan")) == (False, False)
    assert p.best_epoch == 0


def test_an_unknown_schedule_is_refused_with_the_ones_there_are():
    with pytest.raises(ValueError, match="constant, cosine, plateau"):
        EpochPolicy(1e-3, "step", 5, 0)
