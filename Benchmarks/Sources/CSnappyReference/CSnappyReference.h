// The reference Snappy library's C API, for snappy-ratios only (see Documentation/Performance.md).
#include <snappy-c.h>
