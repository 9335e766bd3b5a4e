"""Demo campaigns for `seed_demo`. Filled in by the outreach engine."""


def seed_outreach(stdout):
    pass
