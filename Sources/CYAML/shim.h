#ifndef IMAGELINT_CYAML_SHIM_H
#define IMAGELINT_CYAML_SHIM_H
#include <yaml.h>
#endif
