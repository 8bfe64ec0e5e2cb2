"""Course data: found on this machine, generated with a seed, or shipped with a checksum."""
