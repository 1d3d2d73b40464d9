/* A module for test_module.c: tables that module_load must take or refuse. */
#include "config.h"

#include "module.h"

#define EXPORT __attribute__((visibility("default")))

EXPORT extern const struct module_head ka_test_good, ka_test_other_version, ka_test_no_version;

const struct module_head ka_test_good = { .abi = 7, .version = PACKAGE_VERSION };
const struct module_head ka_test_other_version = { .abi = 7, .version = "0.0.0-elsewhere" };
const struct module_head ka_test_no_version = { .abi = 7, .version = 0 };
