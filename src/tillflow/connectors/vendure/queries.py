"""The Admin API documents the Vendure channel sends."""

_VARIANT_OWN = """id sku name price priceWithTax enabled updatedAt productId trackInventory
  outOfStockThreshold useGlobalOutOfStockThreshold
  stockLevels { stockLocationId stockOnHand stockAllocated }"""

VARIANT = f"""{_VARIANT_OWN} product {{ id enabled name variants {{ id }} }}"""

# A variant as the catalog lists it: with its options, and its product's option groups
# in their order.
LISTED_VARIANT = f"""{_VARIANT_OWN} options {{ code name group {{ name }} }}
  product {{ id enabled name variants {{ id }} optionGroups {{ name }} }}"""

SETTINGS = """{ activeChannel { id defaultCurrencyCode pricesIncludeTax defaultLanguageCode }
  globalSettings { outOfStockThreshold trackInventory }
  stockLocations(options: {sort: {id: ASC}, take: 100}) { items { id name } } }"""

VARIANTS_BY_SKU = f"""query($skus: [String!]!, $take: Int!) {{
  productVariants(options: {{filter: {{sku: {{in: $skus}}}}, take: $take}}) {{
    items {{ {VARIANT} }} }} }}"""

VARIANTS_PAGE = f"""query($skip: Int!, $take: Int!) {{
  productVariants(options: {{skip: $skip, take: $take, sort: {{id: ASC}}}}) {{
    totalItems items {{ {LISTED_VARIANT} }} }} }}"""

PRODUCT_VARIANTS = f"""query($id: ID!) {{ product(id: $id) {{ id
  variants {{ {LISTED_VARIANT} }} }} }}"""

UPDATE_VARIANTS = """mutation($input: [UpdateProductVariantInput!]!) {
  updateProductVariants(input: $input) { id } }"""

UPDATE_PRODUCT = """mutation($input: UpdateProductInput!) { updateProduct(input: $input) { id } }"""

CREATE_PRODUCT = """mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }"""

CREATE_VARIANTS = """mutation($input: [CreateProductVariantInput!]!) {
  createProductVariants(input: $input) { id } }"""

ORDER = """id code state updatedAt orderPlacedAt customFields { tillflowSaleId }
  currencyCode total totalWithTax
  customer { id emailAddress phoneNumber firstName lastName }
  lines { id quantity orderPlacedQuantity taxRate
          unitPrice unitPriceWithTax discountedUnitPrice discountedUnitPriceWithTax
          proratedUnitPrice proratedUnitPriceWithTax
          linePrice linePriceWithTax discountedLinePrice discountedLinePriceWithTax
          proratedLinePrice proratedLinePriceWithTax
          productVariant { id sku } }
  shippingLines { discountedPrice discountedPriceWithTax shippingMethod { code name } }
  surcharges { description price priceWithTax taxRate }
  payments { id method state amount
             refunds { id state total items shipping adjustment
                       lines { orderLineId quantity } } }"""

ORDER_BY_ID = f"""query($id: ID!) {{ order(id: $id) {{ {ORDER} }} }}"""

ORDERS_CHANGED = """query($after: DateTime!, $skip: Int!, $take: Int!) {
  orders(options: {filter: {updatedAt: {after: $after}, active: {eq: false}},
                   sort: {updatedAt: ASC}, skip: $skip, take: $take}) {
    totalItems items { id updatedAt } } }"""

CUSTOMER = "id emailAddress phoneNumber firstName lastName updatedAt"

CUSTOMER_BY_ID = f"""query($id: ID!) {{ customer(id: $id) {{ {CUSTOMER} }} }}"""

CUSTOMERS_MATCHING = f"""query($filter: CustomerFilterParameter!) {{
  customers(options: {{filter: $filter, take: 2, sort: {{id: ASC}}}}) {{
    items {{ {CUSTOMER} }} }} }}"""

CUSTOMERS_CHANGED = f"""query($after: DateTime!, $skip: Int!, $take: Int!) {{
  customers(options: {{filter: {{updatedAt: {{after: $after}}}}, sort: {{updatedAt: ASC}},
                       skip: $skip, take: $take}}) {{ items {{ {CUSTOMER} }} }} }}"""

CREATE_CUSTOMER = f"""mutation($input: CreateCustomerInput!) {{
  createCustomer(input: $input) {{ ... on Customer {{ {CUSTOMER} }}
    ... on ErrorResult {{ errorCode message }} }} }}"""

UPDATE_CUSTOMER = f"""mutation($input: UpdateCustomerInput!) {{
  updateCustomer(input: $input) {{ ... on Customer {{ {CUSTOMER} }}
    ... on ErrorResult {{ errorCode message }} }} }}"""

PLUGIN_FIELD = """{ orders(options: {take: 1}) { items { customFields { tillflowSaleId } } } }"""

ORDER_BY_SALE = """query($source: String!) {
  orders(options: {filter: {tillflowSaleId: {eq: $source}}, take: 1}) {
    items { id state lines { id } } } }"""

CREATE_DRAFT = """mutation { createDraftOrder { id } }"""

DRAFT_SHIPPING_METHODS = """query($id: ID!) { eligibleShippingMethodsForDraftOrder(orderId: $id)
  { id } }"""

PLACE_DRAFT = """mutation($id: ID!, $method: ID!, $payment: ManualPaymentInput!) {
  shipping: setDraftOrderShippingMethod(orderId: $id, shippingMethodId: $method) {
    ... on Order { id } ... on ErrorResult { errorCode message } }
  arrange: transitionOrderToState(id: $id, state: "ArrangingPayment") {
    ... on Order { id } ... on OrderStateTransitionError { errorCode message } }
  pay: addManualPaymentToOrder(input: $payment) {
    ... on Order { id } ... on ErrorResult { errorCode message } } }"""

ORDER_PAYMENTS = """query($id: ID!) { order(id: $id) { id payments { id method amount
  refunds { id state reason total } } } }"""

REFUND = """mutation($input: RefundOrderInput!) { refundOrder(input: $input) {
  ... on Refund { id state } ... on ErrorResult { errorCode message } } }"""

SETTLE_REFUND = """mutation($input: SettleRefundInput!) { settleRefund(input: $input) {
  ... on Refund { id state } ... on ErrorResult { errorCode message } } }"""

OPTION_GROUP = "id code name options { id code name }"

PRODUCT_WITH_OPTIONS = f"""query($id: ID!) {{ product(id: $id) {{ id name enabled
  optionGroups {{ {OPTION_GROUP} }}
  variants {{ id sku name price enabled options {{ id groupId }} }} }} }}"""

CREATE_OPTION_GROUP = f"""mutation($input: CreateProductOptionGroupInput!) {{
  createProductOptionGroup(input: $input) {{ {OPTION_GROUP} }} }}"""

ADD_OPTION_GROUP = """mutation($product: ID!, $group: ID!) {
  addOptionGroupToProduct(productId: $product, optionGroupId: $group) { id } }"""

REMOVE_OPTION_GROUP = """mutation($product: ID!, $group: ID!) {
  removeOptionGroupFromProduct(productId: $product, optionGroupId: $group, force: true) {
    ... on Product { id } ... on ErrorResult { errorCode message } } }"""

CREATE_OPTION = """mutation($input: CreateProductOptionInput!) {
  createProductOption(input: $input) { id code name } }"""

DELETE_VARIANTS = """mutation($ids: [ID!]!) {
  deleteProductVariants(ids: $ids) { result message } }"""

DELETE_PRODUCT = """mutation($id: ID!) { deleteProduct(id: $id) { result message } }"""
