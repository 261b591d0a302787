#include "CBuildInfo.h"

#ifndef OUTPOST_REVISION
#define OUTPOST_REVISION "unknown"
#endif

const char *outpost_build_revision(void) { return OUTPOST_REVISION; }
