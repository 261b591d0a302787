#ifndef OUTPOST_CBUILDINFO_H
#define OUTPOST_CBUILDINFO_H

/// The git commit the binary was built from, or "unknown"; Package.swift sets it at build time.
const char *outpost_build_revision(void);

#endif
