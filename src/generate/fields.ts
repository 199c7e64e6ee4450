// Hand-written domain vocabulary. Real words make same-topic works lexically similar in a way a
// reader recognises; generated pseudo-words (see vocabulary.ts) are added on top so that topics
// within one field stay distinguishable even where these lists overlap.

export interface FieldSpec {
  name: string
  /** Words shared by every topic in the field. */
  words: string[]
  /** Established venues of the field, mixed with topic-named journals. */
  journals: string[]
  preprintServer: string
  /** The nouns a sample size counts in this field ("across 12 cohorts"). */
  units: string[]
  topics: TopicSpec[]
}

export interface TopicSpec {
  name: string
  terms: string[]
}

// biome-ignore format: word lists read better packed than one per line
export const FIELDS: FieldSpec[] = [
  {
    name: 'Computer Science',
    words: [
      'algorithm', 'model', 'network', 'learning', 'training', 'dataset', 'benchmark', 'inference',
      'optimization', 'representation', 'embedding', 'architecture', 'parameter', 'scalable', 'efficient',
      'distributed', 'latency', 'throughput', 'accuracy', 'classification', 'prediction', 'encoder',
      'decoder', 'transformer', 'gradient', 'loss', 'supervised', 'feature', 'kernel', 'memory',
      'hardware', 'attention', 'robustness', 'generalization', 'complexity',
    ],
    journals: [
      'IEEE Transactions on Pattern Analysis and Machine Intelligence',
      'Journal of Machine Learning Research', 'ACM Computing Surveys', 'Neural Computation',
      'Information Sciences',
    ],
    preprintServer: 'arXiv (Cornell University)',
    units: ['datasets', 'benchmarks', 'tasks', 'workloads'],
    topics: [
      { name: 'Graph Neural Networks', terms: ['graph', 'node', 'edge', 'message passing', 'aggregation', 'adjacency', 'spectral', 'heterophily', 'link prediction', 'oversmoothing'] },
      { name: 'Natural Language Processing', terms: ['language', 'token', 'corpus', 'sentence', 'translation', 'syntactic', 'semantic', 'lexical', 'tokenizer', 'pretrained'] },
      { name: 'Computer Vision', terms: ['image', 'pixel', 'segmentation', 'detection', 'convolutional', 'object', 'visual', 'camera', 'depth', 'scene'] },
      { name: 'Reinforcement Learning', terms: ['agent', 'reward', 'policy', 'environment', 'exploration', 'Markov', 'value function', 'actor', 'critic', 'trajectory'] },
      { name: 'Federated Learning', terms: ['client', 'server', 'privacy', 'heterogeneous', 'communication', 'decentralized', 'device', 'round', 'personalization', 'aggregation'] },
      { name: 'Distributed Systems', terms: ['consensus', 'replication', 'fault tolerance', 'cluster', 'partition', 'scheduler', 'consistency', 'storage', 'leader', 'failure'] },
      { name: 'Cybersecurity and Intrusion Detection', terms: ['attack', 'malware', 'intrusion', 'anomaly', 'adversary', 'vulnerability', 'threat', 'encryption', 'packet', 'authentication'] },
      { name: 'Quantum Computing Algorithms', terms: ['qubit', 'quantum', 'gate', 'circuit', 'entanglement', 'variational', 'error correction', 'superposition', 'decoherence', 'Hamiltonian'] },
      { name: 'Recommender Systems', terms: ['user', 'item', 'recommendation', 'preference', 'ranking', 'collaborative filtering', 'click', 'session', 'implicit feedback', 'cold-start'] },
      { name: 'Software Engineering and Testing', terms: ['code', 'bug', 'test', 'repository', 'refactoring', 'developer', 'static analysis', 'defect', 'commit', 'fuzzing'] },
      { name: 'Human-Computer Interaction', terms: ['interface', 'interaction', 'usability', 'participant', 'design', 'accessibility', 'haptic', 'gesture', 'user study', 'prototype'] },
    ],
  },
  {
    name: 'Biology',
    words: [
      'cell', 'protein', 'gene', 'expression', 'sequence', 'molecular', 'pathway', 'regulation', 'genome',
      'mutation', 'organism', 'tissue', 'receptor', 'signaling', 'enzyme', 'transcription', 'phenotype',
      'species', 'population', 'evolutionary', 'metabolic', 'membrane', 'binding', 'assay', 'in vivo',
      'in vitro', 'mechanism', 'function', 'structure', 'activity',
    ],
    journals: [
      'Nature Communications', 'PLoS Biology', 'eLife', 'Cell Reports', 'Molecular Biology and Evolution',
    ],
    preprintServer: 'bioRxiv (Cold Spring Harbor Laboratory)',
    units: ['species', 'strains', 'samples', 'cell lines'],
    topics: [
      { name: 'Protein Folding', terms: ['folding', 'conformational', 'chaperone', 'misfolding', 'residue', 'energy landscape', 'intermediate', 'aggregation', 'native state', 'kinetics'] },
      { name: 'CRISPR Gene Editing', terms: ['CRISPR', 'Cas9', 'guide RNA', 'editing', 'knockout', 'off-target', 'nuclease', 'DNA repair', 'locus', 'base editor'] },
      { name: 'Single-Cell Transcriptomics', terms: ['single-cell', 'RNA-seq', 'cluster', 'transcriptome', 'atlas', 'barcode', 'cell type', 'trajectory', 'dropout', 'marker'] },
      { name: 'Microbiome and Host Interactions', terms: ['microbiome', 'gut', 'bacterial', 'taxa', '16S', 'host', 'commensal', 'dysbiosis', 'metagenomic', 'colonization'] },
      { name: 'Neuroscience of Memory', terms: ['hippocampus', 'memory', 'synaptic', 'plasticity', 'neuron', 'consolidation', 'encoding', 'cortex', 'recall', 'spatial'] },
      { name: 'Plant Stress Physiology', terms: ['plant', 'drought', 'stress', 'leaf', 'root', 'photosynthesis', 'stomatal', 'abscisic acid', 'tolerance', 'Arabidopsis'] },
      { name: 'Evolutionary Genomics', terms: ['selection', 'divergence', 'phylogenetic', 'lineage', 'adaptation', 'allele', 'ancestral', 'introgression', 'speciation', 'genomic'] },
      { name: 'T Cell Immunology', terms: ['T cell', 'antigen', 'cytokine', 'immune', 'lymphocyte', 'TCR', 'activation', 'exhaustion', 'regulatory', 'thymus'] },
      { name: 'Coral Reef Ecology', terms: ['coral', 'reef', 'bleaching', 'symbiont', 'fish', 'benthic', 'thermal stress', 'recruitment', 'algae', 'resilience'] },
    ],
  },
  {
    name: 'Medicine',
    words: [
      'patient', 'clinical', 'treatment', 'cohort', 'trial', 'outcome', 'risk', 'diagnosis', 'therapy',
      'disease', 'mortality', 'hospital', 'randomized', 'prevalence', 'incidence', 'symptom', 'dose',
      'adverse', 'follow-up', 'intervention', 'biomarker', 'prognosis', 'retrospective', 'prospective',
      'adults', 'care', 'screening', 'severity',
    ],
    journals: ['The Lancet', 'BMJ Open', 'JAMA Network Open', 'PLoS Medicine', 'BMC Medicine'],
    preprintServer: 'medRxiv (Cold Spring Harbor Laboratory)',
    units: ['hospitals', 'cohorts', 'centres', 'trials'],
    topics: [
      { name: 'Cardiovascular Risk Prediction', terms: ['cardiovascular', 'hypertension', 'cholesterol', 'heart failure', 'stroke', 'atherosclerosis', 'blood pressure', 'statin', 'coronary', 'risk score'] },
      { name: 'Cancer Immunotherapy', terms: ['tumor', 'immunotherapy', 'checkpoint', 'PD-1', 'melanoma', 'response', 'antitumor', 'neoantigen', 'carcinoma', 'survival'] },
      { name: 'Diabetes Management', terms: ['glucose', 'insulin', 'diabetes', 'glycemic', 'HbA1c', 'obesity', 'pancreatic', 'type 2', 'continuous monitoring', 'metformin'] },
      { name: 'Infectious Disease Epidemiology', terms: ['transmission', 'infection', 'outbreak', 'vaccine', 'pathogen', 'surveillance', 'epidemic', 'reproduction number', 'contact tracing', 'seroprevalence'] },
      { name: 'Depression and Anxiety Disorders', terms: ['depression', 'anxiety', 'psychiatric', 'mood', 'antidepressant', 'wellbeing', 'suicide', 'disorder', 'psychological', 'psychotherapy'] },
      { name: 'Medical Image Analysis', terms: ['MRI', 'CT', 'radiology', 'lesion', 'segmentation', 'scan', 'imaging', 'radiologist', 'contrast', 'volumetric'] },
      { name: 'Antimicrobial Resistance', terms: ['antibiotic', 'resistance', 'resistant', 'susceptibility', 'isolates', 'stewardship', 'carbapenem', 'MRSA', 'antimicrobial', 'Enterobacteriaceae'] },
    ],
  },
  {
    name: 'Physics',
    words: [
      'energy', 'field', 'particle', 'quantum', 'measurement', 'spectrum', 'wave', 'magnetic',
      'temperature', 'phase', 'interaction', 'scattering', 'theory', 'experimental', 'simulation',
      'frequency', 'density', 'symmetry', 'coupling', 'state', 'excitation', 'lattice', 'beam', 'laser',
      'detector', 'dynamics',
    ],
    journals: [
      'Physical Review Letters', 'Physical Review B', 'Nature Physics', 'New Journal of Physics',
      'The Astrophysical Journal',
    ],
    preprintServer: 'arXiv (Cornell University)',
    units: ['samples', 'configurations', 'runs', 'detectors'],
    topics: [
      { name: 'Topological Insulators', terms: ['topological', 'surface state', 'Dirac', 'band', 'insulator', 'edge', 'spin-orbit', 'Berry phase', 'gap', 'Chern'] },
      { name: 'Gravitational Wave Astronomy', terms: ['gravitational', 'waves', 'binary', 'merger', 'black hole', 'LIGO', 'strain', 'inspiral', 'neutron star', 'waveform'] },
      { name: 'Exoplanet Atmospheres', terms: ['exoplanet', 'atmosphere', 'transit', 'spectroscopy', 'stellar', 'planetary', 'host star', 'hot Jupiter', 'absorption', 'photometry'] },
      { name: 'Ultracold Atoms', terms: ['ultracold', 'atoms', 'Bose-Einstein', 'condensate', 'optical', 'trap', 'Feshbach', 'optical lattice', 'fermionic', 'cooling'] },
      { name: 'Plasma Physics and Fusion', terms: ['plasma', 'tokamak', 'confinement', 'fusion', 'turbulence', 'ion', 'heating', 'instability', 'divertor', 'transport'] },
      { name: 'Particle Physics Phenomenology', terms: ['collider', 'Higgs', 'boson', 'quark', 'neutrino', 'decay', 'cross-section', 'hadron', 'Standard Model', 'luminosity'] },
      { name: 'Photonics and Metamaterials', terms: ['photonic', 'metamaterial', 'waveguide', 'plasmonic', 'resonator', 'nanophotonic', 'refractive', 'metasurface', 'light', 'polarization'] },
    ],
  },
  {
    name: 'Chemistry and Materials Science',
    words: [
      'synthesis', 'catalyst', 'reaction', 'compound', 'molecular', 'structure', 'crystalline', 'surface',
      'solvent', 'yield', 'characterization', 'spectroscopy', 'electrochemical', 'polymer', 'material',
      'film', 'oxide', 'nanoparticle', 'thermal', 'stability', 'composite', 'morphology', 'interface',
      'doping',
    ],
    journals: [
      'Journal of the American Chemical Society', 'Advanced Materials', 'ACS Nano', 'Chemical Science',
      'Nature Materials',
    ],
    preprintServer: 'ChemRxiv',
    units: ['samples', 'compounds', 'devices', 'batches'],
    topics: [
      { name: 'Perovskite Solar Cells', terms: ['perovskite', 'solar cell', 'photovoltaic', 'power conversion efficiency', 'halide', 'charge carrier', 'passivation', 'device', 'hysteresis', 'defect'] },
      { name: 'Lithium-Ion Battery Materials', terms: ['lithium', 'battery', 'cathode', 'anode', 'electrolyte', 'capacity', 'cycling', 'electrode', 'intercalation', 'solid-state'] },
      { name: 'Heterogeneous Catalysis', terms: ['catalytic', 'active site', 'support', 'adsorption', 'selectivity', 'turnover', 'metal', 'hydrogenation', 'zeolite', 'oxidation'] },
      { name: 'Metal-Organic Frameworks', terms: ['framework', 'porous', 'linker', 'adsorption', 'MOF', 'pore', 'coordination', 'gas storage', 'crystalline', 'separation'] },
      { name: 'Polymer Self-Assembly', terms: ['block copolymer', 'micelle', 'self-assembly', 'chain', 'amphiphilic', 'hydrogel', 'nanostructure', 'polymerization', 'vesicle', 'supramolecular'] },
      { name: 'Two-Dimensional Materials', terms: ['graphene', 'monolayer', 'van der Waals', 'MoS2', 'exfoliation', 'layered', 'heterostructure', 'dichalcogenide', 'atomically thin', 'phonon'] },
      { name: 'Density Functional Theory Calculations', terms: ['density functional', 'DFT', 'ab initio', 'orbital', 'electronic structure', 'calculation', 'basis set', 'exchange-correlation', 'excited state', 'band gap'] },
    ],
  },
  {
    name: 'Earth and Environmental Sciences',
    words: [
      'climate', 'temperature', 'precipitation', 'region', 'spatial', 'temporal', 'observation',
      'variability', 'ecosystem', 'land', 'water', 'soil', 'emissions', 'carbon', 'global', 'regional',
      'satellite', 'seasonal', 'trend', 'anthropogenic', 'monitoring', 'field data', 'scenario', 'basin',
    ],
    journals: [
      'Nature Climate Change', 'Geophysical Research Letters', 'Global Change Biology',
      'Environmental Science & Technology', 'Journal of Geophysical Research',
    ],
    preprintServer: 'ESS Open Archive',
    units: ['sites', 'stations', 'regions', 'catchments'],
    topics: [
      { name: 'Climate Change Attribution', terms: ['warming', 'extreme', 'attribution', 'heatwave', 'CMIP6', 'ensemble', 'forcing', 'projection', 'drought', 'return period'] },
      { name: 'Ocean Acidification', terms: ['ocean', 'acidification', 'pH', 'carbonate', 'seawater', 'calcification', 'marine', 'alkalinity', 'dissolved', 'CO2'] },
      { name: 'Glacier and Ice Sheet Dynamics', terms: ['glacier', 'ice sheet', 'melt', 'Antarctic', 'Greenland', 'calving', 'mass balance', 'sea-level', 'firn', 'ice flow'] },
      { name: 'Hydrology and Flood Forecasting', terms: ['flood', 'rainfall', 'runoff', 'catchment', 'discharge', 'hydrological', 'streamflow', 'forecast', 'groundwater', 'river'] },
      { name: 'Air Pollution and Health', terms: ['PM2.5', 'pollution', 'air quality', 'exposure', 'particulate', 'ozone', 'nitrogen dioxide', 'urban', 'traffic', 'respiratory'] },
      { name: 'Biodiversity Conservation', terms: ['biodiversity', 'conservation', 'habitat', 'protected area', 'extinction', 'species richness', 'landscape', 'fragmentation', 'endangered', 'restoration'] },
      { name: 'Seismology and Earthquake Hazards', terms: ['earthquake', 'seismic', 'fault', 'rupture', 'magnitude', 'ground motion', 'tectonic', 'aftershock', 'hazard', 'slip'] },
      { name: 'Soil Carbon Dynamics', terms: ['soil organic carbon', 'sequestration', 'microbial', 'decomposition', 'nitrogen', 'tillage', 'litter', 'respiration', 'cropland', 'aggregate'] },
    ],
  },
  {
    name: 'Social Sciences and Economics',
    words: [
      'policy', 'social', 'economic', 'survey', 'evidence', 'effect', 'market', 'household', 'income',
      'labor', 'panel', 'behavior', 'institutional', 'public', 'countries', 'regression', 'inequality',
      'welfare', 'heterogeneity', 'causal', 'reform', 'outcomes', 'individuals',
    ],
    journals: [
      'American Economic Review', 'Journal of Public Economics', 'American Journal of Political Science',
      'Social Science & Medicine', 'World Development',
    ],
    preprintServer: 'SSRN Electronic Journal',
    units: ['countries', 'municipalities', 'schools', 'waves'],
    topics: [
      { name: 'Labor Market Economics', terms: ['wage', 'employment', 'unemployment', 'workers', 'minimum wage', 'firms', 'earnings', 'job', 'hiring', 'occupation'] },
      { name: 'Behavioral Economics', terms: ['choice', 'preference', 'bias', 'decision', 'incentive', 'nudge', 'risk aversion', 'experiment', 'heuristic', 'present bias'] },
      { name: 'Political Polarization', terms: ['polarization', 'partisan', 'voters', 'election', 'political', 'ideology', 'media', 'democracy', 'affective', 'campaign'] },
      { name: 'Education and Learning Outcomes', terms: ['students', 'school', 'teacher', 'learning', 'achievement', 'classroom', 'curriculum', 'educational', 'pupils', 'instruction'] },
      { name: 'Urban Mobility and Transport', terms: ['transport', 'mobility', 'urban', 'travel', 'transit', 'commuting', 'traffic', 'cycling', 'accessibility', 'vehicle'] },
      { name: 'Development Economics and Poverty', terms: ['poverty', 'development', 'microfinance', 'rural', 'cash transfer', 'villages', 'consumption', 'aid', 'smallholder', 'credit'] },
      { name: 'Misinformation and Social Media', terms: ['misinformation', 'social media', 'platform', 'fake news', 'sharing', 'fact-checking', 'online', 'Twitter', 'engagement', 'algorithmic'] },
    ],
  },
  {
    name: 'Mathematics and Statistics',
    words: [
      'theorem', 'proof', 'bound', 'function', 'space', 'operator', 'equation', 'problem', 'solution',
      'estimate', 'convergence', 'class', 'condition', 'finite', 'algebra', 'measure', 'random',
      'statistical', 'estimator', 'asymptotic', 'dimension', 'characterization', 'invariant',
    ],
    journals: [
      'Annals of Statistics', 'Journal of the American Statistical Association',
      'Inventiones Mathematicae', 'Annals of Mathematics', 'SIAM Journal on Numerical Analysis',
    ],
    preprintServer: 'arXiv (Cornell University)',
    units: ['examples', 'simulations', 'instances', 'settings'],
    topics: [
      { name: 'Bayesian Inference Methods', terms: ['Bayesian', 'posterior', 'prior', 'MCMC', 'sampling', 'likelihood', 'hierarchical', 'variational', 'credible interval', 'marginal'] },
      { name: 'High-Dimensional Statistics', terms: ['sparse', 'high-dimensional', 'lasso', 'regularization', 'covariance', 'minimax', 'recovery', 'penalized', 'sparsity', 'design matrix'] },
      { name: 'Partial Differential Equations', terms: ['PDE', 'elliptic', 'parabolic', 'boundary', 'regularity', 'weak solution', 'Sobolev', 'existence', 'uniqueness', 'nonlinear'] },
      { name: 'Graph Theory and Combinatorics', terms: ['graph', 'vertex', 'coloring', 'extremal', 'combinatorial', 'subgraph', 'Ramsey', 'chromatic number', 'hypergraph', 'edges'] },
      { name: 'Numerical Optimization', terms: ['convex', 'gradient descent', 'stochastic', 'objective', 'iteration', 'constrained', 'nonconvex', 'proximal', 'rate', 'saddle point'] },
      { name: 'Algebraic Geometry', terms: ['variety', 'scheme', 'cohomology', 'sheaf', 'curve', 'moduli space', 'projective', 'divisor', 'algebraic', 'surface'] },
    ],
  },
  {
    name: 'Engineering',
    words: [
      'design', 'system', 'control', 'performance', 'experimental', 'simulation', 'load', 'structural',
      'energy', 'power', 'efficiency', 'sensor', 'signal', 'device', 'fabrication', 'prototype', 'thermal',
      'fluid', 'mechanical', 'reliability', 'controller', 'estimation',
    ],
    journals: [
      'IEEE Transactions on Industrial Electronics', 'Applied Energy',
      'Mechanical Systems and Signal Processing', 'Journal of Fluid Mechanics',
      'IEEE Transactions on Robotics',
    ],
    preprintServer: 'arXiv (Cornell University)',
    units: ['test cases', 'prototypes', 'scenarios', 'specimens'],
    topics: [
      { name: 'Wind Energy Systems', terms: ['wind', 'turbine', 'blade', 'rotor', 'wind farm', 'wake', 'offshore', 'aerodynamic', 'yaw', 'pitch control'] },
      { name: 'Autonomous Vehicles', terms: ['autonomous', 'vehicle', 'driving', 'lidar', 'trajectory', 'motion planning', 'perception', 'pedestrian', 'lane', 'collision'] },
      { name: 'Robotic Manipulation', terms: ['robot', 'grasping', 'manipulation', 'gripper', 'tactile', 'dexterous', 'pose', 'arm', 'contact', 'motion'] },
      { name: 'Smart Grid and Power Systems', terms: ['grid', 'renewable', 'demand response', 'voltage', 'frequency', 'inverter', 'storage', 'microgrid', 'dispatch', 'load forecasting'] },
      { name: 'Additive Manufacturing', terms: ['3D printing', 'additive', 'manufacturing', 'layer', 'laser', 'powder', 'printed', 'porosity', 'melt pool', 'build'] },
      { name: 'Structural Health Monitoring', terms: ['damage', 'vibration', 'bridge', 'monitoring', 'strain', 'crack', 'modal', 'fatigue', 'sensor network', 'structural'] },
      { name: 'Wireless Communication Networks', terms: ['wireless', 'channel', '5G', 'antenna', 'MIMO', 'beamforming', 'spectrum', 'interference', 'base station', 'millimeter-wave'] },
      { name: 'Turbulence and Fluid Dynamics', terms: ['turbulent', 'flow', 'vortex', 'Reynolds number', 'boundary layer', 'velocity', 'shear', 'eddy', 'Navier-Stokes', 'wall'] },
    ],
  },
]
