// The functions are inline, in the header; this unit lets SwiftPM build the module.
#include "CByteMask.h"
