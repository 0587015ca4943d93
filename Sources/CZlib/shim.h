// zlib, the system's (Debian's zlib1g-dev), for gzip bodies.
#include <zlib.h>
