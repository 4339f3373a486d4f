"""coopwatch: news about international cooperation in, a verifiable record of facts out."""
import os

# spaCy's small models multiply small matrices: BLAS threads cost more than they give (one article took 15 %
# longer with OpenBLAS's default threads than with one, on more CPU) and crowd out parallel workers. Set before
# numpy loads; an explicit setting in the environment wins.
for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

__version__ = "0.1.0"
