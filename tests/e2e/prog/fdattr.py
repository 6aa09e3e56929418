# fchmod, fchown and futimens on an open file that has been unlinked:
# they act on the file (Linux allows it), then fstat shows the result.
import os, sys
p = sys.argv[1]
fd = os.open(p, os.O_RDWR | os.O_CREAT, 0o644)
os.write(fd, b"x")
os.unlink(p)
r = []
for what, f in (("fchmod", lambda: os.fchmod(fd, 0o600)),
                ("fchown", lambda: os.fchown(fd, -1, -1)),
                ("futimens", lambda: os.utime(fd, (1, 2)))):
    try:
        f(); r.append(what + " ok")
    except OSError as e:
        r.append("%s %s" % (what, e.strerror))
st = os.fstat(fd)
r.append("mode %o mtime %d" % (st.st_mode & 0o7777, st.st_mtime))
print(", ".join(r))
