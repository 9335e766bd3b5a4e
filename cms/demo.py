"""Demo content for `seed_demo`. Filled in by the CMS."""


def seed_cms(stdout):
    pass
