"""Everything Dagster sees. A process whose command executes a run starts the GX worker as it imports this
package, before the rest of the pipeline (:mod:`pipeline.validate.gx_prewarm`)."""

from pipeline.validate import gx_prewarm

gx_prewarm.start_if_wanted()
