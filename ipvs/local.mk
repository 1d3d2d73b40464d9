# The IPVS generic netlink layer arrives with the checker (issue 4).
EXTRA_DIST += ipvs/README
