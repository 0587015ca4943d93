#include "CMallocTrim.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

void c_malloc_trim(void) {
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}
